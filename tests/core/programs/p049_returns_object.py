from _tools import fetch_doc, Doc

d = fetch_doc("python")
print(d)
print(d.title, d.words, d.headline())
docs = [fetch_doc(n) for n in ["a", "bbb"]]
print(sum(x.words for x in docs), isinstance(docs[0], Doc))
d.words += 1
print(d, d == Doc("about python", 43))
