from _tools import search, llm, square

TOOLS = {
    "search": lambda arg: search(arg, k=2),
    "ask": llm,
    "square": lambda arg: square(int(arg)),
    "echo": lambda arg: f"echo {arg}",
}
plan = [("search", "rivers"), ("square", "12"), ("echo", "hi"), ("ask", "why")]
outputs = []
for tool, arg in plan:
    outputs.append((tool, TOOLS[tool](arg)))
for tool, out in outputs:
    print(f"{tool:>7}: {out}")
