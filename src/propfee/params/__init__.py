"""Dated parameter sets: data files, their loader, and the typed set the kernels use."""

from propfee.params.loader import (
    SOURCE_DATE,
    DatedValue,
    ParameterFile,
    default_parameters,
    load_parameter_file,
    load_parameters,
)
from propfee.params.model import (
    CostItemParams,
    FeeParams,
    ParameterSet,
    PricingParams,
    RoleParams,
    StaffingParams,
    TaxParams,
    WageParams,
)

__all__ = [
    "SOURCE_DATE",
    "CostItemParams",
    "DatedValue",
    "FeeParams",
    "ParameterFile",
    "ParameterSet",
    "PricingParams",
    "RoleParams",
    "StaffingParams",
    "TaxParams",
    "WageParams",
    "default_parameters",
    "load_parameter_file",
    "load_parameters",
]
