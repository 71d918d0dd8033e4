package org.orderly.config.processing;

/**
 * One segment of a processor as its token table and, for segments this node works on, its memory know it.
 *
 * @param segment   the segment id
 * @param owner     the node holding the segment's claim, or {@code null} when unclaimed
 * @param position  global index of the segment's token, or -1 before its first event
 * @param replaying whether the segment is still replaying events it had seen before a reset
 */
public record SegmentPosition(int segment, String owner, long position, boolean replaying) {
}
