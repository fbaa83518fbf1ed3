"""Pure rule modules of the provider network (no ORM): contracts, money, network checks."""
