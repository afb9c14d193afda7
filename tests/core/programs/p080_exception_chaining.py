from _tools import fail


class AppError(Exception):
    pass


def call():
    try:
        return fail("deep")
    except ValueError as e:
        raise AppError("wrapped: " + str(e)) from e


try:
    call()
except AppError as e:
    print(type(e).__name__, e, type(e.__cause__).__name__, e.__cause__)
call()
