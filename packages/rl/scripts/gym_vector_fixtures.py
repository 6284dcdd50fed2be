"""Records Gymnasium reference values for @mapnn/rl's vector envs and normalization wrappers.

Writes fixtures/vector-sync-cartpole.json and fixtures/vector-normalize.json, read by
src/vector/sync-vector-env.fixture.test.ts and src/wrappers/normalize.fixture.test.ts.
The tests never run Python; rerun this script by hand after changing what it records:

    python3 -m venv /tmp/gymvec && /tmp/gymvec/bin/pip install gymnasium numpy
    /tmp/gymvec/bin/python packages/rl/scripts/gym_vector_fixtures.py

CartPole's reset draws from NumPy's generator, which mapnn does not reproduce, so the
trajectories are made deterministic by writing `unwrapped.state` after each (auto)reset, and
the observation returned on an autoreset step is not recorded (the tests check its bounds).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import gymnasium as gym
import numpy as np
from gymnasium.wrappers import NormalizeObservation, NormalizeReward

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

NUM_ENVS = 3
MAX_EPISODE_STEPS = 25
STEPS = 60
# the state each env starts from, and restarts from after every autoreset
START_STATES = [
    [0.0, 0.0, 0.05, 0.0],
    [0.01, -0.02, -0.03, 0.04],
    [-0.02, 0.01, 0.0, -0.01],
]


def policy(step: int, env: int, obs: np.ndarray) -> int:
    """A fixed behaviour: env 0 pushes right (falls fast), env 1 alternates in runs, env 2 balances."""
    if env == 0:
        return 1
    if env == 1:
        return (step // 3) % 2
    return int(obs[2] + 0.5 * obs[3] > 0)


def record_sync_vector() -> dict:
    """Steps a SyncVectorEnv of CartPole-v1 envs with next-step autoreset."""
    envs = gym.vector.SyncVectorEnv(
        [lambda: gym.make("CartPole-v1", max_episode_steps=MAX_EPISODE_STEPS) for _ in range(NUM_ENVS)]
    )
    assert envs.metadata["autoreset_mode"] == gym.vector.AutoresetMode.NEXT_STEP
    envs.reset(seed=0)
    for i, state in enumerate(START_STATES):
        envs.envs[i].unwrapped.state = np.array(state, dtype=np.float64)
    obs = np.array([np.array(s, dtype=np.float32) for s in START_STATES])
    prev_done = np.zeros(NUM_ENVS, dtype=bool)
    steps = []
    for t in range(STEPS):
        actions = np.array([policy(t, i, obs[i]) for i in range(NUM_ENVS)], dtype=np.int64)
        obs, rewards, terms, truncs, _ = envs.step(actions)
        autoreset = prev_done.copy()
        for i in np.flatnonzero(autoreset):
            # the reset obs is random: restart from a known state so that later steps are deterministic
            envs.envs[i].unwrapped.state = np.array(START_STATES[i], dtype=np.float64)
            obs[i] = np.array(START_STATES[i], dtype=np.float32)
        steps.append(
            {
                "actions": actions.tolist(),
                "autoreset": autoreset.astype(int).tolist(),
                "rewards": rewards.tolist(),
                "terminations": terms.astype(int).tolist(),
                "truncations": truncs.astype(int).tolist(),
                # null on autoreset steps (random reset observation)
                "obs": [None if autoreset[i] else obs[i].astype(float).tolist() for i in range(NUM_ENVS)],
            }
        )
        prev_done = np.logical_or(terms, truncs)
    envs.close()
    ends = sum(sum(s["terminations"]) + sum(s["truncations"]) for s in steps)
    assert ends >= 4, f"expected several episode ends, got {ends}"
    assert any(sum(s["truncations"]) for s in steps), "expected a truncation"
    return {
        "gymnasium": gym.__version__,
        "numpy": np.__version__,
        "env": "CartPole-v1",
        "numEnvs": NUM_ENVS,
        "maxEpisodeSteps": MAX_EPISODE_STEPS,
        "startStates": START_STATES,
        "steps": steps,
    }


NORMALIZE_RESET_VALUE = 0.03
NORMALIZE_STATE = [0.0, 0.1, -0.02, -0.1]


def normalize_actions(n: int) -> list[int]:
    return [(t // 2) % 2 if t < 12 else 1 for t in range(n)]


def record_normalize() -> dict:
    """NormalizeObservation and NormalizeReward on one CartPole trajectory from known states."""
    out = {"resetOptions": {"low": NORMALIZE_RESET_VALUE, "high": NORMALIZE_RESET_VALUE}, "state": NORMALIZE_STATE}
    actions = normalize_actions(200)
    # NormalizeObservation: the reset obs goes through the wrapper too
    env = NormalizeObservation(gym.make("CartPole-v1"))
    reset_obs, _ = env.reset(seed=0, options=out["resetOptions"])
    env.unwrapped.state = np.array(NORMALIZE_STATE, dtype=np.float64)
    obs_rows, raw_rows, rewards, terms = [], [], [], []
    for a in actions:
        obs, reward, term, trunc, _ = env.step(a)
        obs_rows.append(obs.astype(float).tolist())
        raw_rows.append(env.unwrapped.state.astype(np.float32).astype(float).tolist())
        rewards.append(float(reward))
        terms.append(bool(term))
        if term or trunc:
            break
    n = len(obs_rows)
    out["actions"] = actions[:n]
    out["normalizeObservation"] = {
        "resetObs": reset_obs.astype(float).tolist(),
        "obs": obs_rows,
        "rawObs": raw_rows,
        "mean": env.obs_rms.mean.astype(float).tolist(),
        "var": env.obs_rms.var.astype(float).tolist(),
        "count": float(env.obs_rms.count),
    }
    # NormalizeReward on the same trajectory, gamma 0.9 so that the accumulator moves
    env = NormalizeReward(gym.make("CartPole-v1"), gamma=0.9)
    env.reset(seed=0, options=out["resetOptions"])
    env.unwrapped.state = np.array(NORMALIZE_STATE, dtype=np.float64)
    norm_rewards = []
    for a in actions[:n]:
        _, reward, term, trunc, _ = env.step(a)
        norm_rewards.append(float(np.asarray(reward).item()))
    assert term, "expected the trajectory to terminate"
    out["normalizeReward"] = {
        "gamma": 0.9,
        "rewards": norm_rewards,
        "var": float(np.asarray(env.return_rms.var).item()),
        "count": float(env.return_rms.count),
        "discountedReward": float(np.asarray(env.discounted_reward).item()),
    }
    out["terminatedAt"] = n
    return out


def write(name: str, data: dict) -> None:
    path = FIXTURES / name
    path.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    FIXTURES.mkdir(exist_ok=True)
    write("vector-sync-cartpole.json", record_sync_vector())
    write("vector-normalize.json", {"gymnasium": gym.__version__, "numpy": np.__version__, **record_normalize()})
