from _tools import square


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __repr__(self):
        return f"${self.cents / 100:.2f}"


print(Money(square(3)))
print([Money(square(i)) for i in range(3)])
