"""Trajectory fixtures from the real Gymnasium, for src/envs/gymnasium.test.ts.

Run: python3 -m venv /tmp/gymvenv && /tmp/gymvenv/bin/pip install gymnasium numpy
     /tmp/gymvenv/bin/python packages/rl/scripts/gym_fixtures.py
From set states and seeded action sequences, records every step's observation, reward,
terminated and truncated through gymnasium.make (so the registered time limits apply).
"""
import json
import os

import gymnasium as gym
import numpy as np


def run(env_id, state, actions):
    env = gym.make(env_id)
    env.reset(seed=0)
    env.unwrapped.state = np.array(state, dtype=np.float64)
    steps = []
    for a in actions:
        # Box actions as float32 arrays, as agents send them
        obs, r, term, trunc, _ = env.step(a if isinstance(a, int) else np.array(a, dtype=np.float32))
        steps.append({"obs": [float(v) for v in obs], "reward": float(r), "terminated": bool(term), "truncated": bool(trunc)})
        if term or trunc:
            break
    return {"env": env_id, "state": [float(v) for v in state], "actions": [a if isinstance(a, int) else [float(v) for v in a] for a in actions[: len(steps)]], "steps": steps}


def main():
    rng = np.random.default_rng(2026)
    cases = []
    for state in ([0.0, 0.0, 0.0, 0.0], [0.01, -0.02, 0.03, 0.04], [-1.0, 0.5, -0.1, 0.2]):
        cases.append(run("CartPole-v1", state, [int(a) for a in rng.integers(0, 2, 200)]))
    # a near-balancing controller's actions reach the 500-step truncation
    env = gym.make("CartPole-v1")
    env.reset(seed=1)
    env.unwrapped.state = np.array([0.0, 0.0, 0.01, 0.0])
    acts, s = [], env.unwrapped.state
    for _ in range(500):
        a = int(s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1] > 0)
        acts.append(a)
        _, _, term, trunc, _ = env.step(a)
        s = env.unwrapped.state
        if term or trunc:
            break
    cases.append(run("CartPole-v1", [0.0, 0.0, 0.01, 0.0], acts))
    for state in ([np.pi, 0.0], [0.5, -1.0], [-2.0, 7.5]):
        acts = [[float(v)] for v in rng.uniform(-2.0, 2.0, 200).astype(np.float32)]
        cases.append(run("Pendulum-v1", state, acts))
    out = {"gymnasium": gym.__version__, "numpy": np.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "gym-trajectories.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote", path, "cases", len(cases), "steps", sum(len(c["steps"]) for c in cases))


if __name__ == "__main__":
    main()
