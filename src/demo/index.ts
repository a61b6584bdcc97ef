export { seedDemo, generatePassword, type DemoSeed, type DemoLogin } from './seed-demo.ts';
