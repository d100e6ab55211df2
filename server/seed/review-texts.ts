/**
 * Comment texts of the 30 seed reviews, keyed by review id. The classic data set's ids, authors
 * and ratings are in stage3-facts.json; these texts were written for this project and each one
 * fits its restaurant and its rating.
 */
export const SEED_REVIEW_TEXTS: Readonly<Record<number, string>> = {
  // 1 · Mission Chinese Food
  1: 'The thrice-cooked bacon with rice cakes was smoky, sticky and gone in minutes. Expect a loud room and a long wait on weekends, but the kitchen is worth it.',
  2: 'Ask for the chili level you can actually handle: "medium" here made my eyes water. The cumin lamb ribs were the highlight of the night.',
  3: 'Bold flavours, but a few dishes leaned on heat more than taste. Service was friendly and quick once we finally got a table.',

  // 2 · Emily
  4: 'The crust has a proper wood-fired char without being burnt, and the honey on the spicy pie is a smart touch. Small dining room, so book ahead.',
  5: 'Came for the burger everyone talks about and it lived up to it: rich, messy and perfectly cooked. The pizzas are good too, just a little salty.',
  6: 'Best pizza I have had in Clinton Hill, full stop. The staff remembered us from our last visit and recommended a pie we would never have picked.',

  // 3 · Kang Ho Dong Baekjeong
  7: 'Great marinated short rib cooked right at the table, and the egg and corn cheese that cook around the grill edge are a fun bonus. Plan to leave smelling of barbecue.',
  8: 'The pork belly and the brisket were both excellent, and the servers handled the grill so we could just eat. Worth the wait outside on a Friday night.',
  9: 'The meat was fine, but we waited over an hour and then felt rushed through dinner. Too crowded and too loud to enjoy a conversation.',

  // 4 · Katz's Delicatessen
  10: 'A pastrami sandwich stacked so high it barely fits in your hands, with a half-sour pickle on the side. Hold on to your ticket, they are serious about it.',
  11: 'Tip your cutter and you get a taste while you wait. The matzo ball soup is a bargain and the corned beef is every bit as good as the pastrami.',
  12: 'The sandwich was tasty but very expensive for what it is, and the ordering system confused us. It felt more like a tourist stop than a place to eat.',

  // 5 · Roberta's Pizza
  13: 'The Bee Sting pizza, with soppressata and a drizzle of honey, is worth the trip to Bushwick. Sitting in the back garden on a warm evening makes it even better.',
  14: 'Blistered crust, bright tomato sauce and generous toppings. The wait was long, but the bar kept us happy until our name was called.',
  15: 'Creative pies and a relaxed, slightly chaotic atmosphere. The seasonal salads were a surprise; do not skip the vegetables here.',

  // 6 · Hometown BBQ
  16: 'Brisket with a thick black bark, sold by the pound, and it falls apart under a plastic fork. Get there early, because the popular cuts sell out.',
  17: 'The lamb belly banh mi was unexpected on a barbecue menu and completely delicious. The sides are simple but well made; the cornbread is a must.',
  18: 'Feels like a Texas smokehouse that happens to be in Red Hook. Long line at the counter on Saturday, but it moves and the ribs are worth it.',

  // 7 · Superiority Burger
  19: 'A vegetarian burger that even my meat-loving friends asked to finish. It is a tiny spot with very few seats, so plan on taking it to go.',
  20: 'Everything here is thoughtful, from the crispy burger to the daily gelato flavours. One of the best cheap meals in the East Village.',
  21: 'The sloppy dip sandwich and the burnt broccoli salad are both great. It gets crowded at lunch, but the line moves quickly.',

  // 8 · The Dutch
  22: 'Oysters were fresh and the fried chicken came out crackling and juicy. A lovely room for a special dinner in SoHo, if a bit pricey.',
  23: 'Brunch was excellent: the hot honey biscuits alone are worth the visit. Our server paced the meal well and never made us feel rushed.',
  24: 'Solid American cooking with a good wine list. The dessert pies changed with the season and the one we had was superb.',

  // 9 · Mu Ramen
  25: 'The rich tonkotsu broth is worth the wait, and the wait can be long: the counter is tiny. Get the chicken wing gyoza stuffed with foie gras if they have it.',
  26: 'One of the best bowls of ramen in Queens, with perfectly springy noodles. There are only a few seats, so come right when they open.',
  27: 'Deep, savoury broth and a soft egg cooked exactly right. The small space feels cosy rather than cramped, and the staff are welcoming.',

  // 10 · Casa Enrique
  28: 'Cooking from Chiapas that you rarely find in New York. The mole was deep and complex, and the tacos come on fresh, warm tortillas.',
  29: 'The chamorro de res, a braised beef shank, was tender and full of flavour. Friendly staff and fair prices for food of this quality.',
  30: 'A calm, bright room in Long Island City with serious Mexican food. The ceviche was bright and fresh; the only downside was a noisy table next to us.',
};
