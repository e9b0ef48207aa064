import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { GpuSlots } from './gpu-slots.js';
import { PodsService } from './pods.service.js';

/** GPU slots, compute providers, termination, watchdog and reaper. */
@Module({
  imports: [RunsModule, EventsModule],
  providers: [GpuSlots, PodsService],
  exports: [PodsService, GpuSlots],
})
export class PodsModule {}
