"""Operations: one siege or evacuation effort, with its area, time zone and parties."""
