export interface TestProcess {
  pid: number;
  cmdline: string;
}
export function testProcesses(): TestProcess[];
export function awaitNoTestProcesses(ms?: number): Promise<TestProcess[]>;
