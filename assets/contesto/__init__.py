"""The territory's economic context: Istat, InfoCamere, Prometeia, Regione Toscana, MEF, INPS, Banca d'Italia."""
