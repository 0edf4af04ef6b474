"""Work first, money second: what a compound needs done, who supplies it, what is left.

- :mod:`propfee.work.categories`: the categories of work and their units;
- :mod:`propfee.work.demand`: each compound's demand at a service grade;
- :mod:`propfee.work.ledger`: the ledger in which every piece of work is supplied once;
- :mod:`propfee.work.market`: the market company that buys whatever is left (and, with
  every channel off, the market baseline).
"""
