"""Parties (armed groups, state forces, guarantors, humanitarian bodies …), sides and influence."""
