"""An external changes a dict reached through an alias of its argument and through
``.values()``; the program changes the same dict right after the call returns."""
import time

import opportune


@opportune.external
def normalise(config):
    time.sleep(0.02)
    limits = config["limits"]
    for key, value in limits.items():
        limits[key] = min(value, 10)
    for section in config.values():
        if isinstance(section, list):
            section.sort()
    return sorted(config)


config = {"limits": {"a": 50, "b": 3}, "order": [3, 1, 2]}
keys = normalise(config)
config["limits"]["c"] = 99
print(keys, config)
