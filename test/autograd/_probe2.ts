import * as ag from '@xent/autograd';

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
for (let i = 0; i < 1500; i++) chainAg();
