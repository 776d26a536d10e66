"""Poisson arrivals for the scenario drivers (python3 standard library only)."""
import time


def poisson(rate, stop, rng):
    """Yields at each arrival of a Poisson process of `rate` a second (sleeping until it) until `stop` is set."""
    nxt = time.time()
    while not stop.is_set():
        nxt += rng.expovariate(rate)
        time.sleep(max(0.0, nxt - time.time()))
        yield
