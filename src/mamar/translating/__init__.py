"""Translations added to a record's free text after it was recorded (``<kind>.translate``)."""
