import * as ag from '@xent/autograd';
import * as nd from '@xent/tensor';

const x0 = ag.randn([64]).requiresGrad_();
const c = ag.randn([64]);
function chainAg() {
  let x = x0;
  for (let i = 0; i < 333; i++) {
    x = x.add(c).mul(0.5).tanh();
  }
  x.sum().backward();
  x0.grad = null;
}
function chainNoGrad() {
  ag.noGrad(() => {
    let x = x0;
    for (let i = 0; i < 333; i++) {
      x = x.add(c).mul(0.5).tanh();
    }
  });
}
function chainNd() {
  let x = x0.data;
  for (let i = 0; i < 333; i++) {
    x = nd.tanh(nd.mul(nd.add(x, c.data), 0.5));
  }
}
function chainFwd() {
  let x = x0;
  for (let i = 0; i < 333; i++) {
    x = x.add(c).mul(0.5).tanh();
  }
}
for (const [name, f] of [
  ['nd', chainNd],
  ['noGrad', chainNoGrad],
  ['fwd', chainFwd],
  ['fwd+bwd', chainAg],
] as const) {
  for (let i = 0; i < 50; i++) f();
  const t = performance.now();
  const n = 300;
  for (let i = 0; i < n; i++) f();
  console.log(name, ((performance.now() - t) / n).toFixed(3), 'ms');
}
