import time

import opportune


class Api:
    base = "v1"

    @classmethod
    @opportune.external
    def fetch(cls, path):
        time.sleep(0.02)
        return f"{cls.base}/{path}"

    @staticmethod
    @opportune.external
    def ping(n):
        time.sleep(0.02)
        return "pong" * n


class ApiV2(Api):
    base = "v2"


print(Api.fetch("a"), ApiV2.fetch("b"), ApiV2().fetch("c"))
print([Api.ping(i) for i in range(3)])
