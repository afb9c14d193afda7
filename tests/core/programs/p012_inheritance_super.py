from _tools import llm


class Base:
    def __init__(self, tag):
        self.tag = tag

    def prompt(self, q):
        return f"<{self.tag}> {q}"

    def answer(self, q):
        return llm(self.prompt(q))


class Polite(Base):
    def __init__(self):
        super().__init__("polite")

    def prompt(self, q):
        return super().prompt(q) + " please"


class VeryPolite(Polite):
    def prompt(self, q):
        return "kindly " + super().prompt(q)


for obj in [Base("plain"), Polite(), VeryPolite()]:
    print(type(obj).__name__, obj.answer("help"))
print(VeryPolite.__mro__[1].__name__)
