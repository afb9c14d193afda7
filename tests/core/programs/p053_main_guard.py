from _tools import llm


def main():
    print("name is", __name__)
    print(llm("main"))
    return 0


if __name__ == "__main__":
    main()
else:
    print("imported")
