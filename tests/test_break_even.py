"""Break-even of every target on compounds built by hand: a reachable case each."""
