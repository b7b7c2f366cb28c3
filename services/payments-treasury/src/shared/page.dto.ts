/** The platform's one paginated query DTO (limit capped at 500, offset bounded). */
export { PageQueryDto, pageOf } from '@eisss/platform';
