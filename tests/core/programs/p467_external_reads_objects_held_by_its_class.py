"""An external's body reads objects held by a class of the program (``Config.TABLE``,
``Config.holder.x``); the program changes those objects right after the call: the call still
sees them as they were at the call, as in plain Python."""
import time

import opportune


class Holder:
    def __init__(self) -> None:
        self.x = "old"


class Config:
    TABLE = {"k": 1}
    ROWS = [[1, 2]]
    holder = Holder()


@opportune.external
def snapshot(tag: str) -> str:
    time.sleep(0.03)
    return f"{tag}:{Config.TABLE['k']}/{Config.ROWS}/{Config.holder.x}"


s1 = snapshot("s1")
Config.TABLE["k"] = 5
s2 = snapshot("s2")
Config.holder.x = "new"
s3 = snapshot("s3")
Config.ROWS[0].append(3)
print(s1, s2, s3, snapshot("s4"))
