"""print(doc, slow(1)) and print([doc], slow(2)) with doc a pending object of the program's
class, then attribute stores on it: plain Python printed it before each change."""
from _tools import fetch_doc, slow


def main():
    doc = fetch_doc("cats")
    print(doc, slow(1))
    doc.words = 0
    print([doc], slow(2))
    doc.title = "changed"
    print(doc.headline())


main()
