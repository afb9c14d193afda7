from _tools import llm, score


class Page:
    def __init__(self, url):
        self.url = url
        self._cache = None

    @property
    def content(self):
        if self._cache is None:
            self._cache = llm(self.url)
        return self._cache

    @property
    def rank(self):
        return score(self.content)


pages = [Page(u) for u in ["a.com", "b.org"]]
print([p.content for p in pages])
print([p.rank for p in pages])
print(max(pages, key=lambda p: p.rank).url)
