from _tools import record, pair

match record(2):
    case {"id": i}:
        print("record", i)
    case _:
        print("no match")
match pair(3):
    case (n, label):
        print("pair", n, label)
    case _:
        print("no match")
