"""Reading a Dagster run's outcome the way the office needs it: which step failed and the Italian why."""

from __future__ import annotations


def failure_messages(result) -> dict[str, str]:
    """Step key -> the failure's text, causes included (a `Failure`'s description sits in the cause)."""
    out = {}
    for event in result.all_events:
        if event.event_type_value != "STEP_FAILURE":
            continue
        error, texts = event.event_specific_data.error, []
        while error is not None:
            texts.append(error.message.strip())
            error = error.cause
        text = "\n".join(texts)
        if "Failure:" in text:  # our own refusals: keep only the sentence written for the office
            text = text.split("Failure:", 1)[1].strip()
        out[event.step_key] = text
    return out
