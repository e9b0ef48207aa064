import { Controller, Get } from '@nestjs/common';
import { HealthService } from './health.service.js';

@Controller('api')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process answers. */
  @Get('health')
  live() {
    return this.health.liveness();
  }

  /** Readiness: the store and Redis answer; 503 naming the failing part otherwise. */
  @Get('ready')
  ready() {
    return this.health.readiness();
  }
}
