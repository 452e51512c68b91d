import os from 'node:os';

/** What the numbers were measured on. */
export interface MachineInfo {
  /** Logical cores Node may use. */
  cores: number;
  cpuModel: string;
  totalMemoryGiB: number;
  platform: string;
  nodeVersion: string;
  /** 1/5/15-minute load averages when the run started: other work on the box skews the figures. */
  loadAverage: number[];
  /** ISO date-time the run started. */
  date: string;
}

/** Describes this machine (cores, CPU model, Node version, date). */
export function describeMachine(now: Date = new Date()): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    nodeVersion: process.version,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    date: now.toISOString(),
  };
}

/** One line for the report header. */
export function machineLine(m: MachineInfo): string {
  return (
    `${m.cores} cores, ${m.cpuModel}, ${m.totalMemoryGiB} GiB, ${m.platform}, Node ${m.nodeVersion}, ` +
    `${m.date} (load average at start ${m.loadAverage.join(' / ')})`
  );
}
