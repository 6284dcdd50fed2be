"""Environment fixtures from the real Gymnasium, for src/envs/*.test.ts (read by test/env-fixtures.ts).

Run: python3 -m venv /tmp/gymvenv && /tmp/gymvenv/bin/pip install gymnasium numpy
     /tmp/gymvenv/bin/python packages/rl/scripts/gym_fixtures.py
Writes fixtures/envs/<id>.json, one file per environment. Each trajectory case starts from a
set state (env.unwrapped.state, or .s for FrozenLake, after a seeded reset) and replays fixed
actions (seeded numpy, or a simple controller's actions recorded first) through gymnasium.make,
so the registered time limits apply; every step's obs, reward, terminated and truncated are kept.
Cases with actions outside the action space say so ("unchecked": the test disables the
action check). FrozenLake files also hold the transition table P of each variant, and a
slippery trajectory whose transitions the test checks against P (numpy's stream can't be matched).
"""
import json
import os

import gymnasium as gym
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "envs")


def as_action(a):
    return a if isinstance(a, int) else np.array(a, dtype=np.float32)


def set_state(env, state):
    if isinstance(state, int):
        env.unwrapped.s = state
    else:
        env.unwrapped.state = np.array(state, dtype=np.float64)


def trajectory(env_id, state, actions, kwargs=None, unchecked=False, max_steps=None):
    """Replays `actions` (or until the episode ends) from `state`; returns a case dict."""
    env = gym.make(env_id, **(kwargs or {}))
    env.reset(seed=0)
    set_state(env, state)
    obs_l, rew, term, trunc = [], [], [], []
    for a in actions[:max_steps]:
        obs, r, te, tr, _ = env.step(as_action(a))
        obs_l.append(int(obs) if np.ndim(obs) == 0 else [float(v) for v in obs])
        rew.append(float(r))
        term.append(bool(te))
        trunc.append(bool(tr))
        if te or tr:
            break
    n = len(rew)
    case = {"state": state, "actions": actions[:n], "obs": obs_l, "rewards": rew, "terminated": term, "truncated": trunc}
    if kwargs:
        case["kwargs"] = kwargs
    if unchecked:
        case["unchecked"] = True
    return case


def controlled(env_id, state, policy, steps, kwargs=None):
    """The actions a state-feedback `policy(unwrapped_state)` takes from `state` (recorded, then replayed)."""
    env = gym.make(env_id, **(kwargs or {}))
    env.reset(seed=0)
    set_state(env, state)
    actions = []
    for _ in range(steps):
        a = policy(np.asarray(env.unwrapped.state, dtype=np.float64))
        actions.append(a)
        _, _, te, tr, _ = env.step(as_action(a))
        if te or tr:
            break
    return actions


def floats(xs):
    return [[float(v)] for v in np.asarray(xs, dtype=np.float32)]


def spec_of(env_id, **kwargs):
    env = gym.make(env_id, **kwargs)
    spec = env.spec
    return {
        "id": env_id,
        "max_episode_steps": spec.max_episode_steps,
        "reward_threshold": spec.reward_threshold,
        "observation_space": str(env.observation_space),
        "action_space": str(env.action_space),
    }


def write(env_id, cases, **extra):
    data = {"gymnasium": gym.__version__, "numpy": np.__version__, "spec": spec_of(env_id), "cases": cases, **extra}
    path = os.path.join(OUT, f"{env_id}.json")
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    steps = sum(len(c["rewards"]) for c in cases)
    print(f"{env_id}: {len(cases)} cases, {steps} steps, {os.path.getsize(path) // 1024} KiB")


def cartpole(rng):
    cases = [trajectory("CartPole-v1", s, [int(a) for a in rng.integers(0, 2, 200)]) for s in ([0.0, 0.0, 0.0, 0.0], [0.01, -0.02, 0.03, 0.04], [-1.0, 0.5, -0.1, 0.2], [2.3, 0.4, 0.0, 0.0])]
    balance = lambda s: int(s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1] > 0)
    cases.append(trajectory("CartPole-v1", [0.0, 0.0, 0.01, 0.0], controlled("CartPole-v1", [0.0, 0.0, 0.01, 0.0], balance, 600)))
    cases.append(trajectory("CartPole-v1", [0.02, 0.1, -0.05, 0.3], [int(a) for a in rng.integers(0, 2, 100)], kwargs={"sutton_barto_reward": True}))
    write("CartPole-v1", cases)


def acrobot(rng):
    cases = [trajectory("Acrobot-v1", s, [int(a) for a in rng.integers(0, 3, 100)]) for s in ([0.0, 0.0, 0.0, 0.0], [0.05, -0.08, 0.02, 0.09], [1.0, -0.5, 2.0, -3.0], [-2.5, 2.0, -10.0, 25.0])]
    # pumping with the second joint's velocity swings the tip above the bar (reward 0, terminated);
    # torque along the first joint's velocity does not, and runs into the 500-step limit
    pump = lambda s: 2 if s[3] > 0 else 0
    cases.append(trajectory("Acrobot-v1", [0.1, 0.0, 0.0, 0.0], controlled("Acrobot-v1", [0.1, 0.0, 0.0, 0.0], pump, 500)))
    weak = lambda s: 2 if s[2] > 0 else 0
    cases.append(trajectory("Acrobot-v1", [0.1, 0.0, 0.0, 0.0], controlled("Acrobot-v1", [0.1, 0.0, 0.0, 0.0], weak, 500)))
    cases.append(trajectory("Acrobot-v1", [2.8, 0.2, 1.0, 0.5], [1] * 20))
    write("Acrobot-v1", cases)


def mountain_car(rng):
    cases = [trajectory("MountainCar-v0", s, [int(a) for a in rng.integers(0, 3, 200)]) for s in ([-0.5, 0.0], [-0.45, 0.01], [0.3, -0.02])]
    swing = lambda s: 2 if s[1] >= 0 else 0
    cases.append(trajectory("MountainCar-v0", [-0.52, 0.0], controlled("MountainCar-v0", [-0.52, 0.0], swing, 300)))
    cases.append(trajectory("MountainCar-v0", [-1.15, -0.05], [0] * 30 + [2] * 30))  # into the left wall
    cases.append(trajectory("MountainCar-v0", [0.45, 0.03], [2] * 20, kwargs={"goal_velocity": 0.05}))
    write("MountainCar-v0", cases)


def continuous_mountain_car(rng):
    cases = [trajectory("MountainCarContinuous-v0", s, floats(rng.uniform(-1.0, 1.0, 300))) for s in ([-0.5, 0.0], [0.1, 0.04])]
    cases.append(trajectory("MountainCarContinuous-v0", [-0.4, 0.0], floats(rng.uniform(-0.3, 0.3, 999))))  # to the 999-step limit
    cases.append(trajectory("MountainCarContinuous-v0", [-0.6, -0.01], floats(rng.uniform(-1.6, 1.6, 300)), unchecked=True))  # clipped forces
    swing = lambda s: [1.0 if s[1] >= 0 else -1.0]
    cases.append(trajectory("MountainCarContinuous-v0", [-0.5, 0.0], controlled("MountainCarContinuous-v0", [-0.5, 0.0], swing, 999)))
    cases.append(trajectory("MountainCarContinuous-v0", [-1.1, -0.06], [[-1.0]] * 20 + [[0.5]] * 20))  # into the left wall
    write("MountainCarContinuous-v0", cases)


def pendulum(rng):
    cases = [trajectory("Pendulum-v1", s, floats(rng.uniform(-2.0, 2.0, 200))) for s in ([np.pi, 0.0], [0.5, -1.0], [-2.0, 7.5], [7.0, -3.0])]
    cases.append(trajectory("Pendulum-v1", [0.3, 0.2], floats(rng.uniform(-3.0, 3.0, 200)), unchecked=True))  # clipped torques
    cases.append(trajectory("Pendulum-v1", [1.0, 0.0], floats(rng.uniform(-2.0, 2.0, 50)), kwargs={"g": 9.81}))
    write("Pendulum-v1", cases)


def transition_table(**kwargs):
    P = gym.make("FrozenLake-v1", **kwargs).unwrapped.P
    return [[[[float(p), int(s), float(r), bool(t)] for p, s, r, t in P[s][a]] for a in range(4)] for s in range(len(P))]


def frozen_lake(rng):
    fixed = {"is_slippery": False}
    cases = [
        trajectory("FrozenLake-v1", 0, [1, 1, 2, 2, 1, 2], kwargs=fixed),  # to the goal: reward 1
        trajectory("FrozenLake-v1", 0, [2, 1], kwargs=fixed),  # into a hole
        trajectory("FrozenLake-v1", 0, [0] * 120, kwargs=fixed),  # against the wall until the 100-step limit
        trajectory("FrozenLake-v1", 6, [int(a) for a in rng.integers(0, 4, 100)], kwargs=fixed),
        trajectory("FrozenLake-v1", 0, [int(a) for a in rng.integers(0, 4, 200)], kwargs={"map_name": "8x8", "is_slippery": False}),
        trajectory("FrozenLake-v1", 0, [2] * 7 + [1] * 7, kwargs={"map_name": "8x8", "is_slippery": False}),
        trajectory("FrozenLake-v1", 0, [2, 2, 1, 1, 1], kwargs={"desc": ["SFF", "FHF", "FFG"], "is_slippery": False}),
    ]
    variants = [{}, {"map_name": "8x8"}, {"is_slippery": False}, {"success_rate": 0.5}, {"desc": ["SFFH", "FFHG"], "reward_schedule": [5, -1, 0.5]}]
    tables = [{"kwargs": kw, "P": transition_table(**kw)} for kw in variants]
    # Gymnasium's own slippery episodes: each (s, a, s', prob) must be a transition of P
    env = gym.make("FrozenLake-v1")
    slippery = []
    for seed in range(5):
        s, _ = env.reset(seed=seed)
        steps = []
        for a in rng.integers(0, 4, 100):
            ns, r, te, tr, info = env.step(int(a))
            steps.append([int(s), int(a), int(ns), float(info["prob"]), float(r), bool(te), bool(tr)])
            s = ns
            if te or tr:
                break
        slippery.append(steps)
    write("FrozenLake-v1", cases, tables=tables, slippery_episodes=slippery, spec_8x8=spec_of("FrozenLake8x8-v1"))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(2026)
    cartpole(rng)
    acrobot(rng)
    mountain_car(rng)
    continuous_mountain_car(rng)
    pendulum(rng)
    frozen_lake(rng)


if __name__ == "__main__":
    main()
