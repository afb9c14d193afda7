from _tools import square, score


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __add__(self, other):
        return Money(self.cents + (other.cents if isinstance(other, Money) else other))

    __radd__ = __add__

    def __lt__(self, other):
        return self.cents < other.cents

    def __repr__(self):
        return f"${self.cents / 100:.2f}"


wallet = [Money(square(i)) for i in range(1, 5)]
print(wallet, sum(wallet, Money(0)), min(wallet), Money(score("x")) + 5)
print(square(3) + 0.5, -square(2), square(2) ** 2, 7 // square(2), square(3) % 4)
print(square(2) == 4, square(2) != 4, square(2) < 3, 3 < square(2))
