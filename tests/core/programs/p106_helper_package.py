from helperpkg import Agent, Planner

agents = [Agent("a1"), Planner("p1"), Agent("a2")]
outs = [ag.step(f"task{i}") for i, ag in enumerate(agents)]
print(outs)
print([len(ag.log) for ag in agents], agents[1].log)
