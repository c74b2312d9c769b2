import { suffix } from "./sibling.js";
export function helper() { return `helper-${suffix}`; }
