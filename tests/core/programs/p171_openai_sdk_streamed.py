"""Chat completions through the openai SDK against the simulator on loopback: under opportune
they are streamed and assembled into the same ChatCompletion. Work per line, an early break,
the objects around the text, options that end the answer early, a JSON answer."""
import json

import openai
from opportune.sim import Rule, SimConfig, SimServer

RULES = (
    Rule(pattern=r"outline (\w+)",
         answer="Title {1}\n1. {1} origins\n2. {1} today\n3. {1} tomorrow\n"),
    Rule(pattern=r"expand (.*)", answer="More on {1} #{hash}."),
    Rule(pattern=r"steps (\w+)", answer='[{{"tool": "a-{1}"}}, {{"tool": "b-{1}"}}, 3]'),
)


def ask(client, prompt, **options):
    return client.chat.completions.create(
        model="opportune-sim", messages=[{"role": "user", "content": prompt}], **options)


with SimServer(SimConfig(ttft=0.002, tpot=0.002, rules=RULES)) as sim:
    client = openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=0)
    resp = ask(client, "outline tea")
    text = resp.choices[0].message.content
    print(text.startswith("Title"), text.startswith("Nope"))
    for i, line in enumerate(text.splitlines()):
        if line.startswith("3."):
            break
        print(i, line, "->", ask(client, "expand " + line).choices[0].message.content)
    print(resp.choices[0].message.content, end="")
    print(resp.choices[0].message)
    print(resp.choices[0].finish_reason, resp.usage.prompt_tokens, resp.usage.completion_tokens,
          resp.model, resp.object, resp.system_fingerprint, resp.id.startswith("chatcmpl-"))
    short = ask(client, "outline go", max_tokens=4)
    print(repr(short.choices[0].message.content), short.choices[0].finish_reason)
    stopped = ask(client, "outline rye", stop=["today"])
    print(stopped.to_dict()["choices"], stopped.usage.completion_tokens)
    for part in ask(client, "outline oat").choices[0].message.content.strip().split("\n"):
        print(f"## {part}")
    for step in json.loads(ask(client, "steps go").choices[0].message.content):
        print("step", step)
    answers = [ask(client, f"expand {w}") for w in ("x", "y")]
    print([a.choices[0].message.content for a in answers])
print("end")
