#!/usr/bin/python3
"""Generates the golden fixtures of @mapnn/optimizers from PyTorch.

Run with Debian's python3 (it has python3-torch 1.13; the python3 on PATH may lack torch):

    /usr/bin/python3 packages/optimizers/scripts/gen_golden.py

Writes packages/optimizers/fixtures/{optimizers,schedulers,clip}.json, all in float64:

- optimizers.json: a fixed problem (a linear model y = X @ W + b with mean-squared error on
  fixed data) and, for every optimizer and several option combinations, the parameters after
  each of 20 steps (zero_grad, loss, backward, step). Options are written in mapnn's names
  (camelCase); `groups` splits W and b into two parameter groups; `scheduler` steps an LR
  scheduler after every optimizer step. NAdam uses foreach=True: PyTorch 1.13's default
  single-tensor NAdam multiplies mu_t in twice in its second step size (fixed in later
  releases); the foreach path follows the paper.
- schedulers.json: for each scheduler, the learning rates of two parameter groups (and the
  momentum / beta1 that OneCycleLR cycles) after construction and after each of 30 steps.
- clip.json: clip_grad_norm_ / clip_grad_value_ cases: gradients before, the returned total
  norm and the gradients after.
"""
import json
import math
import os

import torch
from torch import optim
from torch.optim import lr_scheduler as sched

torch.set_default_dtype(torch.float64)
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures')
STEPS = 20
SCHED_STEPS = 30


def rounded(t, step=1e-3):
    return torch.round(t / step) * step


def flat(t):
    return [float(v) for v in t.detach().flatten().tolist()]


# ------------------------------------------------------------------ the problem
gen = torch.Generator().manual_seed(1234)
X = rounded(torch.randn(8, 3, generator=gen))
W_TRUE = torch.tensor([[1.5, -2.0], [0.5, 1.0], [-1.0, 0.25]])
B_TRUE = torch.tensor([0.3, -0.7])
Y = rounded(X @ W_TRUE + B_TRUE + 0.1 * torch.randn(8, 2, generator=gen))
W0 = rounded(0.5 * torch.randn(3, 2, generator=gen))
B0 = rounded(0.5 * torch.randn(2, generator=gen))


def loss_fn(w, b):
    return ((X @ w + b - Y) ** 2).mean()


# mapnn option name -> PyTorch keyword
TORCH_NAMES = {
    'lr': 'lr', 'momentum': 'momentum', 'dampening': 'dampening', 'nesterov': 'nesterov',
    'weightDecay': 'weight_decay', 'maximize': 'maximize', 'betas': 'betas', 'eps': 'eps',
    'amsgrad': 'amsgrad', 'momentumDecay': 'momentum_decay', 'alpha': 'alpha',
    'centered': 'centered', 'lrDecay': 'lr_decay',
    'initialAccumulatorValue': 'initial_accumulator_value', 'rho': 'rho',
}
OPTIMIZERS = {
    'sgd': optim.SGD, 'adam': optim.Adam, 'adamw': optim.AdamW, 'adamax': optim.Adamax,
    'nadam': optim.NAdam, 'rmsprop': optim.RMSprop, 'adagrad': optim.Adagrad,
    'adadelta': optim.Adadelta,
}


def torch_opts(opts):
    out = {TORCH_NAMES[k]: (tuple(v) if k == 'betas' else v) for k, v in opts.items()}
    return out


def make_scheduler(opt, spec):
    kind, o = spec['kind'], spec['options']
    if kind == 'OneCycleLR':
        return sched.OneCycleLR(opt, max_lr=o['maxLr'], total_steps=o['totalSteps'],
                                pct_start=o.get('pctStart', 0.3),
                                anneal_strategy=o.get('annealStrategy', 'cos'),
                                three_phase=o.get('threePhase', False))
    if kind == 'StepLR':
        return sched.StepLR(opt, step_size=o['stepSize'], gamma=o['gamma'])
    raise ValueError(kind)


def run_optimizer(case):
    w = W0.clone().requires_grad_()
    b = B0.clone().requires_grad_()
    kwargs = torch_opts(case['options'])
    if case['optimizer'] == 'nadam':
        kwargs['foreach'] = True
    if 'groups' in case:
        params = []
        for g in case['groups']:
            entry = {'params': [{'W': w, 'b': b}[name] for name in g['params']]}
            entry.update(torch_opts({k: v for k, v in g.items() if k != 'params'}))
            params.append(entry)
    else:
        params = [w, b]
    opt = OPTIMIZERS[case['optimizer']](params, **kwargs)
    sch = make_scheduler(opt, case['scheduler']) if 'scheduler' in case else None
    steps, losses = [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(w, b)
        loss.backward()
        opt.step()
        if sch is not None:
            sch.step()
        losses.append(float(loss))
        steps.append({'W': flat(w), 'b': flat(b)})
    return {**case, 'losses': losses, 'steps': steps}


OPT_CASES = [
    # SGD
    ('sgd', 'sgd-plain', {'lr': 0.1}),
    ('sgd', 'sgd-momentum', {'lr': 0.05, 'momentum': 0.9}),
    ('sgd', 'sgd-dampening', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.3}),
    ('sgd', 'sgd-nesterov', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True}),
    ('sgd', 'sgd-momentum-wd', {'lr': 0.05, 'momentum': 0.8, 'weightDecay': 0.1}),
    ('sgd', 'sgd-nesterov-wd', {'lr': 0.05, 'momentum': 0.5, 'nesterov': True, 'weightDecay': 0.05}),
    ('sgd', 'sgd-maximize', {'lr': 0.01, 'momentum': 0.5, 'maximize': True}),
    # Adam
    ('adam', 'adam-default', {'lr': 0.05}),
    ('adam', 'adam-amsgrad', {'lr': 0.05, 'amsgrad': True}),
    ('adam', 'adam-wd', {'lr': 0.05, 'weightDecay': 0.1}),
    ('adam', 'adam-amsgrad-wd', {'lr': 0.05, 'amsgrad': True, 'weightDecay': 0.05}),
    ('adam', 'adam-betas-eps', {'lr': 0.02, 'betas': [0.8, 0.95], 'eps': 1e-3}),
    ('adam', 'adam-maximize', {'lr': 0.01, 'maximize': True}),
    # AdamW
    ('adamw', 'adamw-default', {'lr': 0.05}),
    ('adamw', 'adamw-wd-amsgrad', {'lr': 0.05, 'weightDecay': 0.5, 'amsgrad': True}),
    ('adamw', 'adamw-maximize', {'lr': 0.01, 'weightDecay': 0.1, 'maximize': True}),
    # Adamax
    ('adamax', 'adamax-default', {}),
    ('adamax', 'adamax-lr-wd', {'lr': 0.05, 'weightDecay': 0.1}),
    ('adamax', 'adamax-betas-eps', {'lr': 0.05, 'betas': [0.7, 0.9], 'eps': 0.05}),
    ('adamax', 'adamax-maximize', {'lr': 0.01, 'maximize': True}),
    # NAdam (foreach=True: the paper's formula)
    ('nadam', 'nadam-default', {}),
    ('nadam', 'nadam-lr-wd', {'lr': 0.05, 'weightDecay': 0.1}),
    ('nadam', 'nadam-momentum-decay', {'lr': 0.05, 'momentumDecay': 0.05, 'betas': [0.85, 0.99]}),
    # RMSprop
    ('rmsprop', 'rmsprop-default', {}),
    ('rmsprop', 'rmsprop-centered', {'lr': 0.005, 'centered': True}),
    ('rmsprop', 'rmsprop-momentum', {'lr': 0.005, 'momentum': 0.9}),
    ('rmsprop', 'rmsprop-centered-momentum-wd', {'lr': 0.005, 'alpha': 0.9, 'centered': True, 'momentum': 0.5, 'weightDecay': 0.1}),
    ('rmsprop', 'rmsprop-eps-maximize', {'lr': 0.001, 'eps': 0.1, 'maximize': True}),
    # Adagrad
    ('adagrad', 'adagrad-default', {'lr': 0.1}),
    ('adagrad', 'adagrad-lr-decay', {'lr': 0.1, 'lrDecay': 0.05}),
    ('adagrad', 'adagrad-initial-acc-wd', {'lr': 0.1, 'initialAccumulatorValue': 0.5, 'weightDecay': 0.1}),
    ('adagrad', 'adagrad-eps-maximize', {'lr': 0.01, 'eps': 0.1, 'maximize': True}),
    # Adadelta
    ('adadelta', 'adadelta-default', {}),
    ('adadelta', 'adadelta-rho-eps', {'lr': 0.5, 'rho': 0.5, 'eps': 1e-3}),
    ('adadelta', 'adadelta-wd', {'lr': 2.0, 'weightDecay': 0.1}),
    ('adadelta', 'adadelta-maximize', {'lr': 0.5, 'maximize': True}),
]


def optimizer_fixture():
    cases = [{'name': n, 'optimizer': o, 'options': opts} for o, n, opts in OPT_CASES]
    # parameter groups with different learning rates / options
    cases.append({'name': 'sgd-groups', 'optimizer': 'sgd', 'options': {'lr': 0.1, 'momentum': 0.9},
                  'groups': [{'params': ['W']}, {'params': ['b'], 'lr': 0.01, 'momentum': 0.5}]})
    cases.append({'name': 'adam-groups', 'optimizer': 'adam', 'options': {'lr': 0.05},
                  'groups': [{'params': ['W'], 'lr': 0.01, 'amsgrad': True}, {'params': ['b'], 'weightDecay': 0.2}]})
    cases.append({'name': 'rmsprop-groups', 'optimizer': 'rmsprop', 'options': {'lr': 0.01},
                  'groups': [{'params': ['b']}, {'params': ['W'], 'lr': 0.002, 'centered': True}]})
    # schedulers driving the optimizer (OneCycle cycles SGD's momentum / Adam's beta1)
    cases.append({'name': 'sgd-onecycle', 'optimizer': 'sgd', 'options': {'lr': 0.1, 'momentum': 0.9},
                  'scheduler': {'kind': 'OneCycleLR', 'options': {'maxLr': 0.2, 'totalSteps': STEPS}}})
    cases.append({'name': 'adam-onecycle', 'optimizer': 'adam', 'options': {'lr': 0.05},
                  'scheduler': {'kind': 'OneCycleLR', 'options': {'maxLr': 0.1, 'totalSteps': STEPS,
                                                                  'annealStrategy': 'linear'}}})
    cases.append({'name': 'nadam-steplr', 'optimizer': 'nadam', 'options': {'lr': 0.05},
                  'scheduler': {'kind': 'StepLR', 'options': {'stepSize': 5, 'gamma': 0.5}}})
    return {
        'problem': {
            'X': {'shape': list(X.shape), 'data': flat(X)},
            'y': {'shape': list(Y.shape), 'data': flat(Y)},
            'W': {'shape': list(W0.shape), 'data': flat(W0)},
            'b': {'shape': list(B0.shape), 'data': flat(B0)},
        },
        'steps': STEPS,
        'cases': [run_optimizer(c) for c in cases],
    }


# ------------------------------------------------------------------ schedulers
LAMBDAS = {
    'pow095': lambda e: 0.95 ** e,
    'inverse': lambda e: 1.0 / (1.0 + e),
    'const09': lambda e: 0.9,
}


def build_scheduler(opt, spec):
    kind, o = spec['kind'], spec.get('options', {})
    if kind == 'StepLR':
        return sched.StepLR(opt, step_size=o['stepSize'], gamma=o.get('gamma', 0.1))
    if kind == 'MultiStepLR':
        return sched.MultiStepLR(opt, milestones=o['milestones'], gamma=o.get('gamma', 0.1))
    if kind == 'ExponentialLR':
        return sched.ExponentialLR(opt, gamma=o['gamma'])
    if kind == 'ConstantLR':
        return sched.ConstantLR(opt, factor=o.get('factor', 1 / 3), total_iters=o.get('totalIters', 5))
    if kind == 'LinearLR':
        return sched.LinearLR(opt, start_factor=o.get('startFactor', 1 / 3), end_factor=o.get('endFactor', 1.0),
                              total_iters=o.get('totalIters', 5))
    if kind == 'PolynomialLR':
        return sched.PolynomialLR(opt, total_iters=o.get('totalIters', 5), power=o.get('power', 1.0))
    if kind == 'CosineAnnealingLR':
        return sched.CosineAnnealingLR(opt, T_max=o['tMax'], eta_min=o.get('etaMin', 0))
    if kind == 'CosineAnnealingWarmRestarts':
        return sched.CosineAnnealingWarmRestarts(opt, T_0=o['t0'], T_mult=o.get('tMult', 1), eta_min=o.get('etaMin', 0))
    if kind == 'LambdaLR':
        return sched.LambdaLR(opt, LAMBDAS[o['lambda']])
    if kind == 'MultiplicativeLR':
        return sched.MultiplicativeLR(opt, LAMBDAS[o['lambda']])
    if kind == 'OneCycleLR':
        kw = dict(max_lr=o['maxLr'], pct_start=o.get('pctStart', 0.3), anneal_strategy=o.get('annealStrategy', 'cos'),
                  cycle_momentum=o.get('cycleMomentum', True), base_momentum=o.get('baseMomentum', 0.85),
                  max_momentum=o.get('maxMomentum', 0.95), div_factor=o.get('divFactor', 25.0),
                  final_div_factor=o.get('finalDivFactor', 1e4), three_phase=o.get('threePhase', False))
        if 'totalSteps' in o:
            kw['total_steps'] = o['totalSteps']
        else:
            kw['epochs'] = o['epochs']
            kw['steps_per_epoch'] = o['stepsPerEpoch']
        return sched.OneCycleLR(opt, **kw)
    if kind == 'ReduceLROnPlateau':
        return sched.ReduceLROnPlateau(opt, mode=o.get('mode', 'min'), factor=o.get('factor', 0.1),
                                       patience=o.get('patience', 10), threshold=o.get('threshold', 1e-4),
                                       threshold_mode=o.get('thresholdMode', 'rel'), cooldown=o.get('cooldown', 0),
                                       min_lr=o.get('minLr', 0), eps=o.get('eps', 1e-8))
    if kind == 'SequentialLR':
        children = [build_scheduler(opt, c) for c in o['schedulers']]
        return sched.SequentialLR(opt, schedulers=children, milestones=o['milestones'])
    if kind == 'ChainedScheduler':
        return sched.ChainedScheduler([build_scheduler(opt, c) for c in o['schedulers']])
    raise ValueError(kind)


def group_momentum(opt):
    return [g['betas'][0] if 'betas' in g else g.get('momentum') for g in opt.param_groups]


def run_scheduler(case):
    p1 = torch.zeros(2, requires_grad=True)
    p2 = torch.zeros(3, requires_grad=True)
    lrs = case['lrs']
    groups = [{'params': [p1], 'lr': lrs[0]}, {'params': [p2], 'lr': lrs[1]}]
    if case['optimizer'] == 'adam':
        opt = optim.Adam(groups, lr=lrs[0])
    else:
        opt = optim.SGD(groups, lr=lrs[0], momentum=0.9)
    s = build_scheduler(opt, case['scheduler'])
    lr_seq = [[g['lr'] for g in opt.param_groups]]
    mom_seq = [group_momentum(opt)]
    metrics = case.get('metrics')
    epochs = case.get('epochs')
    for i in range(SCHED_STEPS):
        opt.step()
        if metrics is not None:
            s.step(metrics[i])
        elif epochs is not None:
            s.step(epochs[i])
        else:
            s.step()
        lr_seq.append([g['lr'] for g in opt.param_groups])
        mom_seq.append(group_momentum(opt))
    # (1.13's ReduceLROnPlateau has no get_last_lr(); it keeps _last_lr)
    last = s.get_last_lr() if hasattr(s, 'get_last_lr') else s._last_lr
    out = {**case, 'lr': lr_seq, 'lastLr': [float(v) for v in last]}
    if case['scheduler']['kind'] == 'OneCycleLR':
        out['momentum'] = mom_seq
    return out


PLATEAU_METRICS = [1.0, 0.9, 0.8, 0.8, 0.79995, 0.8, 0.81, 0.7, 0.7, 0.7, 0.7, 0.69999, 0.6, 0.6, 0.65,
                   0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]


def scheduler_fixture():
    S = lambda kind, **o: {'kind': kind, 'options': o}  # noqa: E731
    cases = [
        ('step', S('StepLR', stepSize=7, gamma=0.5)),
        ('multistep', S('MultiStepLR', milestones=[5, 12, 12, 20], gamma=0.3)),
        ('exponential', S('ExponentialLR', gamma=0.9)),
        ('constant', S('ConstantLR', factor=0.5, totalIters=4)),
        ('linear-warmup', S('LinearLR', startFactor=0.25, endFactor=1.0, totalIters=8)),
        ('linear-decay', S('LinearLR', startFactor=1.0, endFactor=0.1, totalIters=12)),
        ('polynomial', S('PolynomialLR', totalIters=10, power=2.0)),
        ('cosine', S('CosineAnnealingLR', tMax=10, etaMin=0.001)),
        ('cosine-no-min', S('CosineAnnealingLR', tMax=7)),
        ('warm-restarts', S('CosineAnnealingWarmRestarts', t0=5, tMult=1, etaMin=0.001)),
        ('warm-restarts-mult', S('CosineAnnealingWarmRestarts', t0=3, tMult=2, etaMin=0.0)),
        ('lambda', S('LambdaLR', **{'lambda': 'pow095'})),
        ('lambda-inverse', S('LambdaLR', **{'lambda': 'inverse'})),
        ('multiplicative', S('MultiplicativeLR', **{'lambda': 'const09'})),
        ('onecycle-cos', S('OneCycleLR', maxLr=[0.5, 0.2], totalSteps=30)),
        ('onecycle-linear', S('OneCycleLR', maxLr=0.4, totalSteps=30, annealStrategy='linear', pctStart=0.25,
                              divFactor=10.0, finalDivFactor=100.0)),
        ('onecycle-three-phase', S('OneCycleLR', maxLr=0.3, epochs=5, stepsPerEpoch=6, threePhase=True,
                                   baseMomentum=0.8, maxMomentum=0.9)),
        ('onecycle-no-momentum', S('OneCycleLR', maxLr=0.3, totalSteps=30, cycleMomentum=False)),
        ('plateau-min-rel', S('ReduceLROnPlateau', factor=0.5, patience=2, cooldown=1, minLr=0.01)),
        ('plateau-max-abs', S('ReduceLROnPlateau', mode='max', factor=0.3, patience=1, threshold=0.05,
                              thresholdMode='abs', minLr=[0.001, 0.02])),
        ('sequential-warmup-cosine', S('SequentialLR', schedulers=[
            S('LinearLR', startFactor=0.1, totalIters=5), S('CosineAnnealingLR', tMax=20, etaMin=0.001)],
            milestones=[5])),
        ('sequential-three', S('SequentialLR', schedulers=[
            S('ConstantLR', factor=0.5, totalIters=3), S('ExponentialLR', gamma=0.9), S('StepLR', stepSize=4, gamma=0.5)],
            milestones=[3, 12])),
        ('chained', S('ChainedScheduler', schedulers=[
            S('ConstantLR', factor=0.5, totalIters=4), S('ExponentialLR', gamma=0.9)])),
        ('chained-step-cosine', S('ChainedScheduler', schedulers=[
            S('StepLR', stepSize=6, gamma=0.5), S('CosineAnnealingLR', tMax=10)])),
    ]
    out = []
    for name, spec in cases:
        case = {'name': name, 'optimizer': 'sgd', 'lrs': [0.1, 0.05], 'scheduler': spec}
        if spec['kind'] == 'ReduceLROnPlateau':
            case['metrics'] = PLATEAU_METRICS if spec['options'].get('mode', 'min') == 'min' else [-m for m in PLATEAU_METRICS]
        out.append(run_scheduler(case))
    # OneCycle on Adam cycles beta1
    out.append(run_scheduler({'name': 'onecycle-adam-betas', 'optimizer': 'adam', 'lrs': [0.01, 0.02],
                              'scheduler': S('OneCycleLR', maxLr=0.05, totalSteps=30, baseMomentum=0.8,
                                             maxMomentum=0.9)}))
    # warm restarts stepped per batch with fractional epochs (4 batches per epoch)
    out.append(run_scheduler({'name': 'warm-restarts-fractional', 'optimizer': 'sgd', 'lrs': [0.1, 0.05],
                              'scheduler': S('CosineAnnealingWarmRestarts', t0=2, tMult=2, etaMin=0.01),
                              'epochs': [i / 4 for i in range(1, SCHED_STEPS + 1)]}))
    return {'steps': SCHED_STEPS, 'cases': out}


# ------------------------------------------------------------------ clipping
def clip_fixture():
    gen2 = torch.Generator().manual_seed(99)
    shapes = [[3, 2], [4], [2, 2, 2]]
    grads = [rounded(torch.randn(s, generator=gen2)) for s in shapes]
    cases = []
    for name, max_norm, norm_type in [('l2-clipped', 1.0, 2.0), ('l2-not-clipped', 100.0, 2.0),
                                      ('l1-clipped', 2.0, 1.0), ('inf-clipped', 0.5, math.inf),
                                      ('p3-clipped', 1.5, 3.0), ('l2-exact', 0.0, 2.0)]:
        ps = [torch.zeros(s, requires_grad=True) for s in shapes]
        for p, g in zip(ps, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
        cases.append({'name': name, 'kind': 'norm', 'maxNorm': max_norm,
                      'normType': 'inf' if math.isinf(norm_type) else norm_type,
                      'grads': [{'shape': s, 'data': flat(g)} for s, g in zip(shapes, grads)],
                      'total': float(total), 'clipped': [flat(p.grad) for p in ps]})
    ps = [torch.zeros(s, requires_grad=True) for s in shapes]
    for p, g in zip(ps, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(ps, 0.6)
    cases.append({'name': 'value', 'kind': 'value', 'clipValue': 0.6,
                  'grads': [{'shape': s, 'data': flat(g)} for s, g in zip(shapes, grads)],
                  'clipped': [flat(p.grad) for p in ps]})
    return {'cases': cases}


def write(name, obj):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name)
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print('wrote', os.path.relpath(path), os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    write('optimizers.json', optimizer_fixture())
    write('schedulers.json', scheduler_fixture())
    write('clip.json', clip_fixture())
