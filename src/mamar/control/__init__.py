"""Control over time: areas controlled by a party, and front lines, each with a validity interval."""
