"""A ``raise ... from`` chain around a failing external, formatted with ``format_exc`` and
``format_exception``: both tracebacks read as plain Python's."""
import traceback

from _tools import fail, llm


class ToolError(Exception):
    pass


def call_tool(name):
    try:
        return fail(name)
    except ValueError as e:
        raise ToolError(f"{name} broke") from e


def agent():
    llm("plan")
    try:
        call_tool("search")
    except ToolError:
        print(traceback.format_exc())
    try:
        try:
            call_tool("fetch")
        except ToolError as e:
            raise RuntimeError("agent gave up")
    except RuntimeError as e:
        print("".join(traceback.format_exception(e)))


agent()
