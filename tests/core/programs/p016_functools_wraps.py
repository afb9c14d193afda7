import functools

from _tools import llm


def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        result = fn(*args)
        print(f"traced {fn.__name__}{args!r}")
        return result
    return wrapper


@traced
def summarize(text):
    """Summarize text."""
    return llm("summarize: " + text)


@functools.lru_cache(maxsize=None)
def cached(q):
    return llm(q)


print(summarize.__name__, summarize.__doc__, summarize.__wrapped__.__name__)
print(summarize("a long story"))
print(cached("x"), cached("x"), cached.cache_info().hits)
