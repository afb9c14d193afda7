"""A class overrides __getattribute__ and reads through object.__getattribute__, its instance
holding an external's answer: the runtime must not look at the object through that method
(isinstance reads __class__ through it, and the compiled method calls back into the
runtime: endless recursion)."""
import time

import opportune


@opportune.external
def validate(v: str) -> str:
    time.sleep(0.01)
    return v.strip().lower()


class Audited:
    def __setattr__(self, name, value):
        print("set", name)
        object.__setattr__(self, name, value)

    def __getattribute__(self, name):
        if name == "secret":
            return "***"
        return object.__getattribute__(self, name)


class User(Audited):
    def __init__(self, name):
        self.name = name


u = User(validate("  Bob "))
u.secret = validate("pw")
print(u.name, u.secret, u.__dict__["secret"])
