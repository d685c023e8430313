/** What the GraphQL layer sees of a room (the Room type's parent value). */
export interface RoomView {
  id: string;
  slug: string;
  title: string;
  createdAt: Date;
}
