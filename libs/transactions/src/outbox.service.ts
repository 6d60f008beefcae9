import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { updateRows } from '@payhub/database';
import { OutboxEntity } from './outbox.entity';

/** The relay's side of the outbox: read unpublished rows in id order, mark them published once handed on. */
@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async unpublished(limit: number): Promise<OutboxEntity[]> {
    return this.dataSource.getRepository(OutboxEntity).createQueryBuilder('o')
      .where('o.published_at IS NULL').orderBy('o.id', 'ASC').limit(limit).getMany();
  }

  async markPublished(ids: string[], at = new Date()): Promise<number> {
    if (!ids.length) return 0;
    return updateRows(this.dataSource, OutboxEntity, { publishedAt: at }, 'id IN (:...ids) AND published_at IS NULL', { ids });
  }
}
