import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types.js';

export type PublicSchema = Database['public'];
export type TableName = keyof PublicSchema['Tables'] & string;
export type Row<T extends TableName> = PublicSchema['Tables'][T]['Row'];
export type Insert<T extends TableName> = PublicSchema['Tables'][T]['Insert'];
export type Update<T extends TableName> = PublicSchema['Tables'][T]['Update'];
export type ColumnName<T extends TableName> = keyof Row<T> & string;
export type FunctionName = keyof PublicSchema['Functions'] & string;
export type FunctionArgs<F extends FunctionName> = PublicSchema['Functions'][F]['Args'];
export type FunctionReturns<F extends FunctionName> = PublicSchema['Functions'][F]['Returns'];

/** A supabase-js client typed with this repository's schema. */
export type MentoraSupabaseClient = SupabaseClient<Database>;

/**
 * Any supabase-js client: the query builder accepts clients built elsewhere too (other generics,
 * custom options), and talks to PostgREST through the untyped surface internally.
 */
// biome-ignore lint/suspicious/noExplicitAny: the accepted clients differ only in their type parameters
export type AnySupabaseClient = SupabaseClient<any, any, any>;
