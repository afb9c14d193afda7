"""Pure-compute probe: a program with no external calls at all (a prime sieve and string work)."""

import sys


def primes(limit):
    found = []
    for n in range(2, limit):
        is_prime = True
        for p in found:
            if p * p > n:
                break
            if n % p == 0:
                is_prime = False
                break
        if is_prime:
            found.append(n)
    return found


def words(count):
    text = []
    for i in range(count):
        text.append(f"w{i % 97}".upper().lower())
    return len(" ".join(text).split())


def main(limit=600000):
    found = primes(int(limit))
    print(len(found), sum(found), words(int(limit)))


if __name__ == "__main__":
    main(*sys.argv[1:])
