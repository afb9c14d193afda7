import functools
import time

import opportune

seen = []


def audit(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        seen.append(fn.__name__)
        return fn(*args, **kwargs)
    return wrapper


@audit
@opportune.external
def translate(text, lang="fr"):
    time.sleep(0.02)
    return f"{lang}:{text[::-1]}"


print([translate(w) for w in ["cat", "dog"]])
print(translate("hat", lang="de"), seen, translate.__name__)
