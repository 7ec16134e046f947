"""The vault: personal data (names, phone numbers, injuries), encrypted, referenced by opaque id."""
