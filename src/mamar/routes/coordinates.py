"""Latitude and longitude that refuse impossible values with a message naming the field."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError


def _latitude(value: float) -> float:
    if not math.isfinite(value) or not -90.0 <= value <= 90.0:
        raise PydanticCustomError(
            "latitude_range",
            "latitude must be between -90 and 90 degrees (got {value})",
            {"value": value},
        )
    return value


def _longitude(value: float) -> float:
    if not math.isfinite(value) or not -180.0 <= value <= 180.0:
        raise PydanticCustomError(
            "longitude_range",
            "longitude must be between -180 and 180 degrees (got {value})",
            {"value": value},
        )
    return value


Latitude = Annotated[float, AfterValidator(_latitude)]
Longitude = Annotated[float, AfterValidator(_longitude)]
