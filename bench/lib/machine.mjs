// What machine a benchmark ran on, for BENCHMARKS.md.
import { cpus, release, totalmem, type } from 'node:os';

/**
 * @returns {{ cores: number, cpuModel: string, ramGiB: number, os: string, node: string }}
 */
export function machineInfo() {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: (list[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim(),
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
  };
}

/** One line: "2 cores, AMD EPYC ..., 23.5 GiB RAM, Linux 6.1 ..., Node v20.20.2". */
export function machineLine() {
  const m = machineInfo();
  return `${m.cores} cores, ${m.cpuModel}, ${m.ramGiB} GiB RAM, ${m.os}, Node ${m.node}`;
}

/** Today's date as YYYY-MM-DD (UTC). */
export function today() {
  return new Date().toISOString().slice(0, 10);
}
