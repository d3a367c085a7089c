//! The operator's workflow over HTTP and WebSocket, on SQLite and PostgreSQL: taking a
//! ticket (and racing for it), hidden notes, send and close, reopening and the archive.

use crate::common;
mod conversation;
mod history;
mod locks;

use server::service::demo::people;

use app::protocol::{
    AdminAction, Command, DepartmentId, ErrorCode, Event, EventKind, MemberStatus,
    NewMessageRequest, RateRequest, RatingMarkId, Role, Seq, SplitRequest, TicketDetail,
    TicketStatus, TicketSummary, Topic, TransferRequest,
};
use common::{Backend, TestServer, new_msg_id};
use reqwest::StatusCode;

const MEMBER: &str = people::ANNA;
const OLGA: &str = people::OLGA;
const IVAN: &str = people::IVAN;
const MODERATOR: &str = people::MIKE;

on_both_backends! {
    two_operators_racing_to_take_a_ticket_give_one_winner => locks::racing_to_take;
    only_the_holder_writes_until_a_moderator_releases => locks::holder_writes;
    hidden_notes_never_reach_the_member => conversation::hidden_notes;
    send_and_close_then_the_member_reads_archives_and_reopens => conversation::close_and_reopen;
    a_transfer_moves_the_ticket_between_department_queues_live => locks::transfer;
    members_rate_answers_with_the_configured_marks => conversation::rating;
    staff_get_the_canned_responses_of_their_departments => conversation::canned_responses;
    staff_edit_their_messages_and_the_previous_text_stays => history::editing;
    staff_split_a_long_ticket_from_a_message => history::splitting;
}
