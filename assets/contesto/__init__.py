"""The territory's economic context: Istat, InfoCamere, Prometeia, the Regioni, MEF, INPS, Banca d'Italia."""
