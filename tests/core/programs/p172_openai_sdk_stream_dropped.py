"""An SDK chat completion whose connection drops mid-answer: retried by the SDK's budget with
the same text under opportune's streaming, and failing with the SDK's own error once the
budget is spent, as the whole request does without streaming."""
import openai
from opportune.sim import Rule, SimConfig, SimServer

RULES = (Rule(pattern=r"outline (\w+)", answer="1. {1} origins\n2. {1} today\n3. {1} end\n"),)


def ask(client, prompt):
    return client.chat.completions.create(
        model="opportune-sim", messages=[{"role": "user", "content": prompt}])


with SimServer(SimConfig(ttft=0.002, tpot=0.002, rules=RULES, drop_rate=1.0,
                         fault_limit=1)) as sim:
    retried = openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=1)
    for line in ask(retried, "outline tea").choices[0].message.content.splitlines():
        print("retried", line)
    print(ask(retried, "outline rye").choices[0].message.content, end="")
    once = openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=0)
    try:
        for line in ask(once, "outline oat").choices[0].message.content.splitlines():
            pass
        print("not reached")
    except openai.APIConnectionError as e:
        print("caught", type(e).__name__, e)
    resp = ask(once, "outline barley")
    print("before the failure is met")
    print(resp.choices[0].message.content.upper())
