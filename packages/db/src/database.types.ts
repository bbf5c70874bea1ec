export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  public: {
    Tables: {
      ai_api_usage: {
        Row: {
          cost_usd: number
          created_at: string
          creator_id: string | null
          error_code: string | null
          id: number
          input_tokens: number
          latency_ms: number | null
          model: string
          operation: string
          output_tokens: number
          provider: string
          request_id: string | null
          success: boolean
          user_id: string | null
        }
        Insert: {
          cost_usd?: number
          created_at?: string
          creator_id?: string | null
          error_code?: string | null
          id?: number
          input_tokens?: number
          latency_ms?: number | null
          model: string
          operation: string
          output_tokens?: number
          provider: string
          request_id?: string | null
          success?: boolean
          user_id?: string | null
        }
        Update: {
          cost_usd?: number
          created_at?: string
          creator_id?: string | null
          error_code?: string | null
          id?: number
          input_tokens?: number
          latency_ms?: number | null
          model?: string
          operation?: string
          output_tokens?: number
          provider?: string
          request_id?: string | null
          success?: boolean
          user_id?: string | null
        }
        Relationships: []
      }
      analytics_daily_metrics: {
        Row: {
          computed_at: string
          creator_id: string | null
          event_count: number
          event_type: string
          id: number
          metric_date: string
          unique_users: number
        }
        Insert: {
          computed_at?: string
          creator_id?: string | null
          event_count: number
          event_type: string
          id?: number
          metric_date: string
          unique_users: number
        }
        Update: {
          computed_at?: string
          creator_id?: string | null
          event_count?: number
          event_type?: string
          id?: number
          metric_date?: string
          unique_users?: number
        }
        Relationships: [
          {
            foreignKeyName: "analytics_daily_metrics_creator_id_fkey"
            columns: ["creator_id"]
            isOneToOne: false
            referencedRelation: "creators"
            referencedColumns: ["id"]
          },
        ]
      }
      analytics_events: {
        Row: {
          created_at: string
          creator_id: string | null
          event_type: string
          id: number
          properties: NonNullable<Json>
          session_id: string | null
          student_id: string | null
          user_id: string | null
          video_id: string | null
        }
        Insert: {
          created_at?: string
          creator_id?: string | null
          event_type: string
          id?: number
          properties?: NonNullable<Json>
          session_id?: string | null
          student_id?: string | null
          user_id?: string | null
          video_id?: string | null
        }
        Update: {
          created_at?: string
          creator_id?: string | null
          event_type?: string
          id?: number
          properties?: NonNullable<Json>
          session_id?: string | null
          student_id?: string | null
          user_id?: string | null
          video_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "analytics_events_creator_id_fkey"
            columns: ["creator_id"]
            isOneToOne: false
            referencedRelation: "creators"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "analytics_events_student_id_fkey"
            columns: ["student_id"]
            isOneToOne: false
            referencedRelation: "students"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "analytics_events_video_id_fkey"
            columns: ["video_id"]
            isOneToOne: false
            referencedRelation: "videos"
            referencedColumns: ["id"]
          },
        ]
      }
      api_request_logs: {
        Row: {
          client_ip: string | null
          created_at: string
          duration_ms: number
          error_code: string | null
          id: number
          method: string
          path: string
          request_id: string | null
          status_code: number
          user_agent: string | null
          user_id: string | null
        }
        Insert: {
          client_ip?: string | null
          created_at?: string
          duration_ms: number
          error_code?: string | null
          id?: number
          method: string
          path: string
          request_id?: string | null
          status_code: number
          user_agent?: string | null
          user_id?: string | null
        }
        Update: {
          client_ip?: string | null
          created_at?: string
          duration_ms?: number
          error_code?: string | null
          id?: number
          method?: string
          path?: string
          request_id?: string | null
          status_code?: number
          user_agent?: string | null
          user_id?: string | null
        }
        Relationships: []
      }
      cache_statistics: {
        Row: {
          deletes: number
          errors: number
          hit_ratio: number | null
          hits: number
          id: number
          misses: number
          namespace: string
          period_end: string
          period_start: string
          recorded_at: string
          sets: number
        }
        Insert: {
          deletes?: number
          errors?: number
          hit_ratio?: never
          hits?: number
          id?: number
          misses?: number
          namespace: string
          period_end: string
          period_start: string
          recorded_at?: string
          sets?: number
        }
        Update: {
          deletes?: number
          errors?: number
          hit_ratio?: never
          hits?: number
          id?: number
          misses?: number
          namespace?: string
          period_end?: string
          period_start?: string
          recorded_at?: string
          sets?: number
        }
        Relationships: []
      }
      chat_messages: {
        Row: {
          content: string
          created_at: string
          id: string
          role: string
          session_id: string
          sources: NonNullable<Json>
          token_count: number | null
        }
        Insert: {
          content: string
          created_at?: string
          id?: string
          role: string
          session_id: string
          sources?: NonNullable<Json>
          token_count?: number | null
        }
        Update: {
          content?: string
          created_at?: string
          id?: string
          role?: string
          session_id?: string
          sources?: NonNullable<Json>
          token_count?: number | null
        }
        Relationships: [
          {
            foreignKeyName: "chat_messages_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "chat_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      chat_sessions: {
        Row: {
          created_at: string
          creator_id: string
          id: string
          last_message_at: string | null
          message_count: number
          status: string
          student_id: string
          title: string | null
          updated_at: string
          version: number
          video_id: string | null
        }
        Insert: {
          created_at?: string
          creator_id: string
          id?: string
          last_message_at?: string | null
          message_count?: number
          status?: string
          student_id: string
          title?: string | null
          updated_at?: string
          version?: number
          video_id?: string | null
        }
        Update: {
          created_at?: string
          creator_id?: string
          id?: string
          last_message_at?: string | null
          message_count?: number
          status?: string
          student_id?: string
          title?: string | null
          updated_at?: string
          version?: number
          video_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "chat_sessions_creator_id_fkey"
            columns: ["creator_id"]
            isOneToOne: false
            referencedRelation: "creators"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_sessions_student_id_fkey"
            columns: ["student_id"]
            isOneToOne: false
            referencedRelation: "students"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "chat_sessions_video_id_fkey"
            columns: ["video_id"]
            isOneToOne: false
            referencedRelation: "videos"
            referencedColumns: ["id"]
          },
        ]
      }
      creators: {
        Row: {
          created_at: string
          email: string
          id: string
          name: string
          plan: string
          settings: NonNullable<Json>
          updated_at: string
          user_id: string
          version: number
          whop_company_id: string | null
        }
        Insert: {
          created_at?: string
          email: string
          id?: string
          name: string
          plan?: string
          settings?: NonNullable<Json>
          updated_at?: string
          user_id: string
          version?: number
          whop_company_id?: string | null
        }
        Update: {
          created_at?: string
          email?: string
          id?: string
          name?: string
          plan?: string
          settings?: NonNullable<Json>
          updated_at?: string
          user_id?: string
          version?: number
          whop_company_id?: string | null
        }
        Relationships: []
      }
      job_queue: {
        Row: {
          attempts: number
          completed_at: string | null
          created_at: string
          error: Json | null
          event_id: string | null
          event_name: string
          function_id: string
          id: string
          max_attempts: number
          payload: NonNullable<Json>
          result: Json | null
          run_id: string | null
          scheduled_at: string
          started_at: string | null
          status: string
          updated_at: string
        }
        Insert: {
          attempts?: number
          completed_at?: string | null
          created_at?: string
          error?: Json | null
          event_id?: string | null
          event_name: string
          function_id: string
          id?: string
          max_attempts?: number
          payload?: NonNullable<Json>
          result?: Json | null
          run_id?: string | null
          scheduled_at?: string
          started_at?: string | null
          status?: string
          updated_at?: string
        }
        Update: {
          attempts?: number
          completed_at?: string | null
          created_at?: string
          error?: Json | null
          event_id?: string | null
          event_name?: string
          function_id?: string
          id?: string
          max_attempts?: number
          payload?: NonNullable<Json>
          result?: Json | null
          run_id?: string | null
          scheduled_at?: string
          started_at?: string | null
          status?: string
          updated_at?: string
        }
        Relationships: []
      }
      performance_metrics: {
        Row: {
          id: number
          metric_name: string
          recorded_at: string
          tags: NonNullable<Json>
          unit: string
          value: number
        }
        Insert: {
          id?: number
          metric_name: string
          recorded_at?: string
          tags?: NonNullable<Json>
          unit?: string
          value: number
        }
        Update: {
          id?: number
          metric_name?: string
          recorded_at?: string
          tags?: NonNullable<Json>
          unit?: string
          value?: number
        }
        Relationships: []
      }
      project_submissions: {
        Row: {
          content: string | null
          created_at: string
          feedback: string | null
          id: string
          project_id: string
          reviewed_at: string | null
          score: number | null
          status: string
          student_id: string
          submission_url: string | null
          submitted_at: string
          title: string
          updated_at: string
          version: number
        }
        Insert: {
          content?: string | null
          created_at?: string
          feedback?: string | null
          id?: string
          project_id: string
          reviewed_at?: string | null
          score?: number | null
          status?: string
          student_id: string
          submission_url?: string | null
          submitted_at?: string
          title: string
          updated_at?: string
          version?: number
        }
        Update: {
          content?: string | null
          created_at?: string
          feedback?: string | null
          id?: string
          project_id?: string
          reviewed_at?: string | null
          score?: number | null
          status?: string
          student_id?: string
          submission_url?: string | null
          submitted_at?: string
          title?: string
          updated_at?: string
          version?: number
        }
        Relationships: [
          {
            foreignKeyName: "project_submissions_student_id_fkey"
            columns: ["student_id"]
            isOneToOne: false
            referencedRelation: "students"
            referencedColumns: ["id"]
          },
        ]
      }
      quiz_attempts: {
        Row: {
          answers: NonNullable<Json>
          completed_at: string | null
          created_at: string
          id: string
          passed: boolean | null
          quiz_id: string
          score: number | null
          started_at: string
          student_id: string
          video_id: string | null
        }
        Insert: {
          answers?: NonNullable<Json>
          completed_at?: string | null
          created_at?: string
          id?: string
          passed?: boolean | null
          quiz_id: string
          score?: number | null
          started_at?: string
          student_id: string
          video_id?: string | null
        }
        Update: {
          answers?: NonNullable<Json>
          completed_at?: string | null
          created_at?: string
          id?: string
          passed?: boolean | null
          quiz_id?: string
          score?: number | null
          started_at?: string
          student_id?: string
          video_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "quiz_attempts_student_id_fkey"
            columns: ["student_id"]
            isOneToOne: false
            referencedRelation: "students"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "quiz_attempts_video_id_fkey"
            columns: ["video_id"]
            isOneToOne: false
            referencedRelation: "videos"
            referencedColumns: ["id"]
          },
        ]
      }
      quizzes: {
        Row: {
          created_at: string
          creator_id: string
          generated_at: string
          id: string
          question_count: number
          questions: NonNullable<Json>
          updated_at: string
          video_id: string
        }
        Insert: {
          created_at?: string
          creator_id: string
          generated_at?: string
          id: string
          question_count: number
          questions: NonNullable<Json>
          updated_at?: string
          video_id: string
        }
        Update: {
          created_at?: string
          creator_id?: string
          generated_at?: string
          id?: string
          question_count?: number
          questions?: NonNullable<Json>
          updated_at?: string
          video_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "quizzes_creator_id_fkey"
            columns: ["creator_id"]
            isOneToOne: false
            referencedRelation: "creators"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "quizzes_video_id_fkey"
            columns: ["video_id"]
            isOneToOne: false
            referencedRelation: "videos"
            referencedColumns: ["id"]
          },
        ]
      }
      rate_limit_violations: {
        Row: {
          endpoint: string
          first_seen_at: string
          id: number
          identifier: string
          last_seen_at: string
          limit_value: number
          plan: string | null
          violation_count: number
          window_label: string
          window_start: string
        }
        Insert: {
          endpoint: string
          first_seen_at?: string
          id?: number
          identifier: string
          last_seen_at?: string
          limit_value: number
          plan?: string | null
          violation_count?: number
          window_label: string
          window_start: string
        }
        Update: {
          endpoint?: string
          first_seen_at?: string
          id?: number
          identifier?: string
          last_seen_at?: string
          limit_value?: number
          plan?: string | null
          violation_count?: number
          window_label?: string
          window_start?: string
        }
        Relationships: []
      }
      student_achievements: {
        Row: {
          achievement_data: NonNullable<Json>
          achievement_type: string
          id: string
          student_id: string
          unlocked_at: string
        }
        Insert: {
          achievement_data?: NonNullable<Json>
          achievement_type: string
          id?: string
          student_id: string
          unlocked_at?: string
        }
        Update: {
          achievement_data?: NonNullable<Json>
          achievement_type?: string
          id?: string
          student_id?: string
          unlocked_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "student_achievements_student_id_fkey"
            columns: ["student_id"]
            isOneToOne: false
            referencedRelation: "students"
            referencedColumns: ["id"]
          },
        ]
      }
      students: {
        Row: {
          created_at: string
          creator_id: string
          email: string
          id: string
          last_active: string | null
          name: string
          onboarding_completed: boolean
          plan: string
          preferences: NonNullable<Json>
          updated_at: string
          user_id: string
          version: number
          whop_membership_id: string | null
        }
        Insert: {
          created_at?: string
          creator_id: string
          email: string
          id?: string
          last_active?: string | null
          name: string
          onboarding_completed?: boolean
          plan?: string
          preferences?: NonNullable<Json>
          updated_at?: string
          user_id: string
          version?: number
          whop_membership_id?: string | null
        }
        Update: {
          created_at?: string
          creator_id?: string
          email?: string
          id?: string
          last_active?: string | null
          name?: string
          onboarding_completed?: boolean
          plan?: string
          preferences?: NonNullable<Json>
          updated_at?: string
          user_id?: string
          version?: number
          whop_membership_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "students_creator_id_fkey"
            columns: ["creator_id"]
            isOneToOne: false
            referencedRelation: "creators"
            referencedColumns: ["id"]
          },
        ]
      }
      system_health_logs: {
        Row: {
          checked_at: string
          details: NonNullable<Json>
          error: string | null
          id: number
          latency_ms: number | null
          service: string
          status: string
        }
        Insert: {
          checked_at?: string
          details?: NonNullable<Json>
          error?: string | null
          id?: number
          latency_ms?: number | null
          service: string
          status: string
        }
        Update: {
          checked_at?: string
          details?: NonNullable<Json>
          error?: string | null
          id?: number
          latency_ms?: number | null
          service?: string
          status?: string
        }
        Relationships: []
      }
      video_chunks: {
        Row: {
          chunk_index: number
          chunk_text: string
          created_at: string
          embedding: string | null
          end_timestamp: number | null
          id: string
          start_timestamp: number | null
          topic_tags: string[]
          video_id: string
        }
        Insert: {
          chunk_index: number
          chunk_text: string
          created_at?: string
          embedding?: string | null
          end_timestamp?: number | null
          id?: string
          start_timestamp?: number | null
          topic_tags?: string[]
          video_id: string
        }
        Update: {
          chunk_index?: number
          chunk_text?: string
          created_at?: string
          embedding?: string | null
          end_timestamp?: number | null
          id?: string
          start_timestamp?: number | null
          topic_tags?: string[]
          video_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "video_chunks_video_id_fkey"
            columns: ["video_id"]
            isOneToOne: false
            referencedRelation: "videos"
            referencedColumns: ["id"]
          },
        ]
      }
      video_progress: {
        Row: {
          completed: boolean
          created_at: string
          id: string
          last_position_seconds: number
          last_watched: string
          student_id: string
          updated_at: string
          version: number
          video_id: string
          watched_seconds: number
        }
        Insert: {
          completed?: boolean
          created_at?: string
          id?: string
          last_position_seconds?: number
          last_watched?: string
          student_id: string
          updated_at?: string
          version?: number
          video_id: string
          watched_seconds?: number
        }
        Update: {
          completed?: boolean
          created_at?: string
          id?: string
          last_position_seconds?: number
          last_watched?: string
          student_id?: string
          updated_at?: string
          version?: number
          video_id?: string
          watched_seconds?: number
        }
        Relationships: [
          {
            foreignKeyName: "video_progress_student_id_fkey"
            columns: ["student_id"]
            isOneToOne: false
            referencedRelation: "students"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "video_progress_video_id_fkey"
            columns: ["video_id"]
            isOneToOne: false
            referencedRelation: "videos"
            referencedColumns: ["id"]
          },
        ]
      }
      videos: {
        Row: {
          created_at: string
          creator_id: string
          description: string | null
          duration_seconds: number | null
          error_message: string | null
          full_transcript: string | null
          id: string
          processed_at: string | null
          processing_status: string
          thumbnail_url: string | null
          title: string
          transcript_data: Json | null
          updated_at: string
          version: number
          video_url: string
        }
        Insert: {
          created_at?: string
          creator_id: string
          description?: string | null
          duration_seconds?: number | null
          error_message?: string | null
          full_transcript?: string | null
          id?: string
          processed_at?: string | null
          processing_status?: string
          thumbnail_url?: string | null
          title: string
          transcript_data?: Json | null
          updated_at?: string
          version?: number
          video_url: string
        }
        Update: {
          created_at?: string
          creator_id?: string
          description?: string | null
          duration_seconds?: number | null
          error_message?: string | null
          full_transcript?: string | null
          id?: string
          processed_at?: string | null
          processing_status?: string
          thumbnail_url?: string | null
          title?: string
          transcript_data?: Json | null
          updated_at?: string
          version?: number
          video_url?: string
        }
        Relationships: [
          {
            foreignKeyName: "videos_creator_id_fkey"
            columns: ["creator_id"]
            isOneToOne: false
            referencedRelation: "creators"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      aggregate_daily_metrics: {
        Args: { target_date: string }
        Returns: {
          computed_at: string
          creator_id: string | null
          event_count: number
          event_type: string
          id: number
          metric_date: string
          unique_users: number
        }[]
        SetofOptions: {
          from: "*"
          to: "analytics_daily_metrics"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      cleanup_old_api_logs: {
        Args: Record<PropertyKey, never>
        Returns: number
      }
      cleanup_old_job_queue_records: {
        Args: Record<PropertyKey, never>
        Returns: number
      }
      cleanup_old_performance_metrics: {
        Args: Record<PropertyKey, never>
        Returns: number
      }
      health_check: { Args: Record<PropertyKey, never>; Returns: string }
      match_video_chunks: {
        Args: {
          filter_video_ids?: string[]
          match_count?: number
          query_embedding: string
        }
        Returns: {
          chunk_index: number
          chunk_text: string
          end_timestamp: number
          id: string
          similarity: number
          start_timestamp: number
          video_id: string
        }[]
      }
      record_job_run: {
        Args: {
          p_attempts: number
          p_error?: Json
          p_event_id?: string
          p_event_name: string
          p_function_id: string
          p_max_attempts: number
          p_payload?: Json
          p_result?: Json
          p_run_id: string
          p_status: string
        }
        Returns: undefined
      }
      record_rate_limit_violation: {
        Args: {
          p_count?: number
          p_endpoint: string
          p_identifier: string
          p_limit: number
          p_plan?: string
          p_window: string
          p_window_start: string
        }
        Returns: {
          endpoint: string
          first_seen_at: string
          id: number
          identifier: string
          last_seen_at: string
          limit_value: number
          plan: string | null
          violation_count: number
          window_label: string
          window_start: string
        }
        SetofOptions: {
          from: "*"
          to: "rate_limit_violations"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      record_rate_limit_violations: { Args: { p_rows: Json }; Returns: number }
      store_video_chunks: {
        Args: { p_chunks: Json; p_total: number; p_video_id: string }
        Returns: number
      }
    }
    Enums: {
      [_ in never]: never
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  public: {
    Enums: {},
  },
} as const

