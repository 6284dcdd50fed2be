import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { AGENT_KINDS, agentPreset, createAgent, envIds, evaluateAgent, exportPolicyOnnx, hasPreset, type Agent, type AgentKind, type LearnProgress } from '@mapnn/rl';
import { loadAgent, saveAgent } from '@mapnn/rl/node';
import { useBackend, type BackendChoice } from '../backend.js';
import { CliError, EXIT, messageOf } from '../errors.js';
import { Printer } from '../output/print.js';
import { examples, intOption, withBackend, withCommon, type CommonOptions } from './common.js';

interface RlTrainOptions extends CommonOptions {
  env: string;
  agent: AgentKind;
  steps: number;
  seed: number;
  out: string;
  numEnvs?: number;
  backend: BackendChoice;
}

interface RlEvalOptions extends CommonOptions {
  episodes: number;
  seed?: number;
  onnx?: string;
  backend: BackendChoice;
}

function agentOption(v: string): AgentKind {
  const k = v.toLowerCase();
  if (!(AGENT_KINDS as readonly string[]).includes(k)) throw new InvalidArgumentError(`unknown agent '${v}'; expected one of ${AGENT_KINDS.join(', ')}`);
  return k as AgentKind;
}

function envOption(v: string): string {
  const ids = envIds();
  if (!ids.includes(v)) throw new InvalidArgumentError(`unknown environment '${v}'; registered: ${ids.join(', ')}`);
  return v;
}

/** `mapnn rl train` and `mapnn rl eval`: reinforcement-learning agents from @mapnn/rl. */
export function rlCommand(): Command {
  const rl = new Command('rl').description('train and evaluate reinforcement-learning agents (DQN, PPO, A2C, REINFORCE, SAC) on Gymnasium-exact environments');
  rl.addCommand(trainSub());
  rl.addCommand(evalSub());
  return rl;
}

function trainSub(): Command {
  const cmd = new Command('train')
    .description('train an agent; saves its checkpoint (agent.json, weights, replay buffer) into --out')
    .option('--env <id>', 'registered environment id', envOption, 'CartPole-v1')
    .option('--agent <name>', `agent: ${AGENT_KINDS.join(' | ')}`, agentOption, 'ppo' as AgentKind)
    .option('--steps <n>', 'environment steps to train for', intOption(1), 100_000)
    .option('--seed <n>', 'seed of weights, exploration and environments', intOption(0), 0)
    .option('--num-envs <n>', 'sub-environments (default: the preset’s, else 1)', intOption(1))
    .option('--out <dir>', 'checkpoint directory', 'mapnn-rl-out');
  withCommon(withBackend(cmd));
  examples(cmd, ['mapnn rl train --env CartPole-v1 --agent ppo --steps 100000 --seed 0 --out ppo-cartpole',
    'mapnn rl train --env Pendulum-v1 --agent sac --steps 20000 --out sac-pendulum']);
  return cmd.action(async (opts: RlTrainOptions) => runTrain(opts));
}

function evalSub(): Command {
  const cmd = new Command('eval')
    .description('run the saved agent’s greedy / deterministic policy for whole episodes on a fresh environment')
    .argument('<dir>', 'a directory written by `mapnn rl train`')
    .option('--episodes <n>', 'evaluation episodes', intOption(1), 100)
    .option('--seed <n>', 'seed of the first reset (default 10000 + the training seed)', intOption(0))
    .option('--onnx <file>', 'also export the policy network as ONNX');
  withCommon(withBackend(cmd));
  examples(cmd, ['mapnn rl eval ppo-cartpole --episodes 100 --json', 'mapnn rl eval ppo-cartpole --onnx policy.onnx']);
  return cmd.action(async (dir: string, opts: RlEvalOptions) => runEval(dir, opts));
}

async function runTrain(opts: RlTrainOptions): Promise<void> {
  const print = new Printer(!!opts.json);
  const backend = await useBackend(opts.backend);
  let agent: Agent;
  try {
    agent = createAgent(opts.agent, agentPreset(opts.agent, opts.env, opts.seed, { numEnvs: opts.numEnvs }));
  } catch (e) {
    throw new CliError(`rl train: ${messageOf(e)}`);
  }
  print.line(`${agent.name} on ${opts.env} (${hasPreset(opts.agent, opts.env) ? 'tuned preset' : 'default settings'}), ${agent.numEnvs} env(s), backend ${backend}`);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  const bar = !opts.json && process.stderr.isTTY ? progressBar(opts.steps) : null;
  let last: LearnProgress | undefined;
  try {
    await agent.learn(opts.steps, {
      signal: abort.signal,
      progressEvery: Math.max(100, Math.floor(opts.steps / 200)),
      onProgress: (p) => {
        last = p;
        if (bar) bar.update(p.step, { speed: Math.round(p.stepsPerSecond), ret: p.meanReturn100 === null ? '…' : p.meanReturn100.toFixed(1) });
        else if (!opts.json && opts.verbose) print.note(`${p.step}/${p.totalSteps} steps  ${p.stepsPerSecond.toFixed(0)} steps/s  mean return (last 100) ${p.meanReturn100?.toFixed(1) ?? '…'}`);
      },
    });
  } finally {
    bar?.stop();
    process.off('SIGINT', onSigint);
  }
  const dir = saveAgent(agent, opts.out);
  const summary = { agent: opts.agent, env: opts.env, steps: agent.steps, seed: opts.seed, episodes: agent.episodes.history.length,
    meanReturn100: last?.meanReturn100 ?? null, stepsPerSecond: last?.stepsPerSecond ?? null, out: dir, interrupted: abort.signal.aborted };
  print.line(`${agent.steps} steps, ${summary.episodes} episodes, mean return of the last 100: ${summary.meanReturn100?.toFixed(1) ?? '–'}; checkpoint in ${dir}`);
  print.result(summary);
  agent.dispose();
  if (abort.signal.aborted) process.exitCode = EXIT.interrupted;
}

async function runEval(dir: string, opts: RlEvalOptions): Promise<void> {
  const print = new Printer(!!opts.json);
  await useBackend(opts.backend);
  let agent: Agent;
  try {
    agent = loadAgent(dir);
  } catch (e) {
    throw new CliError(`rl eval: ${messageOf(e)}`);
  }
  try {
    const r = evaluateAgent(agent, { episodes: opts.episodes, seed: opts.seed });
    if (opts.onnx) writeFileSync(opts.onnx, exportPolicyOnnx(agent).bytes);
    print.line(`${agent.name} on ${agent.envId}: mean return ${r.meanReturn.toFixed(2)} ± ${r.stdReturn.toFixed(2)} over ${opts.episodes} episodes`);
    if (opts.onnx) print.line(`policy exported to ${opts.onnx}`);
    print.result({ meanReturn: r.meanReturn, stdReturn: r.stdReturn, episodes: opts.episodes, agent: agent.name, env: agent.envId, dir: join(dir) });
  } finally {
    agent.dispose();
  }
}

function progressBar(total: number): SingleBar {
  const bar = new SingleBar({
    format: 'steps {bar} {value}/{total} | {speed} steps/s | mean return (last 100) {ret} | ETA {eta_formatted}',
    barCompleteChar: '█', barIncompleteChar: '░', barsize: 24, hideCursor: true, stream: process.stderr, fps: 8,
  });
  bar.start(total, 0, { speed: '…', ret: '…' });
  return bar;
}
